"""Pulso's vocabulary: the codes stored in the warehouse and their Spanish labels.

Every module that names a PQRS type, a case status, a report kind, a network or a message
kind takes it from here, so a label changes in one place and a code cannot drift.
"""

from __future__ import annotations

from typing import Final, Literal

# ---- networks ------------------------------------------------------------------------------
Network = Literal["facebook", "instagram", "x", "youtube", "tiktok", "linkedin"]
NETWORKS: Final = ("facebook", "instagram", "x", "youtube", "tiktok", "linkedin")
NETWORK_LABELS: Final = {"facebook": "Facebook", "instagram": "Instagram", "x": "X",
                         "youtube": "YouTube", "tiktok": "TikTok", "linkedin": "LinkedIn"}

# ---- inbound messages ----------------------------------------------------------------------
MESSAGE_KIND_LABELS: Final = {"comment": "Comentario", "reply": "Respuesta",
                              "mention": "Mención", "dm": "Mensaje directo"}
SENTIMENT_LABELS: Final = {"negative": "Negativo", "neutral": "Neutro", "positive": "Positivo"}

# ---- PQRS ----------------------------------------------------------------------------------
PQRS_TYPES: Final = ("peticion", "queja", "reclamo", "sugerencia", "denuncia", "felicitacion")
# Types that open a legal term (Ley 1755 de 2015); a felicitación is counted apart.
PQRS_LEGAL_TYPES: Final = ("peticion", "queja", "reclamo", "sugerencia", "denuncia")
PQRS_TYPE_LABELS: Final = {"peticion": "Petición", "queja": "Queja", "reclamo": "Reclamo",
                           "sugerencia": "Sugerencia", "denuncia": "Denuncia",
                           "felicitacion": "Felicitación"}
PQRS_TYPE_PLURALS: Final = {"peticion": "Peticiones", "queja": "Quejas", "reclamo": "Reclamos",
                            "sugerencia": "Sugerencias", "denuncia": "Denuncias",
                            "felicitacion": "Felicitaciones"}
PETITION_SUBTYPE_LABELS: Final = {"informacion": "información", "consulta": "consulta",
                                  "general": "general"}

# ---- PQRS case workflow ----------------------------------------------------------------------
CaseStatus = Literal["candidate", "filed", "answered", "discarded"]
CASE_STATUSES: Final = ("candidate", "filed", "answered", "discarded")
CASE_STATUS_LABELS: Final = {"candidate": "Candidato", "filed": "Radicado",
                             "answered": "Respondido", "discarded": "Descartado"}
# Unreviewed candidates are "sin revisar" for readers of the reports.
CASE_STATUS_READER_LABELS: Final = {"candidate": "Sin revisar", "filed": "Radicado",
                                    "answered": "Respondido", "discarded": "Descartado"}

# ---- reports -----------------------------------------------------------------------------
ReportKind = Literal["growth", "sentiment", "pqrs", "semestral"]
MONTHLY_REPORTS: Final = ("growth", "sentiment", "pqrs")
SEMESTRAL_REPORTS: Final = ("semestral",)
REPORT_KINDS: Final = MONTHLY_REPORTS + SEMESTRAL_REPORTS
REPORT_FILE_STEMS: Final = {"growth": "informe-gestion-redes",
                            "sentiment": "informe-sentimientos",
                            "pqrs": "informe-pqrs-redes",
                            "semestral": "informe-semestral-redes"}
REPORT_TITLES: Final = {"growth": "Informe de gestión de redes sociales",
                        "sentiment": "Informe de sentimientos en redes sociales",
                        "pqrs": "Informe PQRS redes sociales",
                        "semestral": "Informe semestral de redes sociales"}
REPORT_KIND_LABELS: Final = {"growth": "Crecimiento y gestión (mensual)",
                             "sentiment": "Sentimiento (mensual)", "pqrs": "PQRS (mensual)",
                             "semestral": "Semestral", "monitor": "Alertas diarias"}
