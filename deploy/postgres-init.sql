-- The warehouse lives beside Airflow's metadata DB, in its own database and role.
CREATE ROLE pulso LOGIN PASSWORD 'pulso';
CREATE DATABASE pulso OWNER pulso;
