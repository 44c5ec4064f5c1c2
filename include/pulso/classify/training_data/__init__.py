"""Training material for the shipped PQRS model, written for Pulso (shippable, Apache-2.0).

Everything here was written by the project: message templates with slots, courtesy wrappers
and fillers for Colombian citizens writing to public entities (housing fund, public-space
agency, mayor's office, governorship, utilities, transport, health, social programmes) and
plenty of messages that are not PQRS (news, chatter, football, politics, jokes, spam).
No real person's message is copied here.
"""
