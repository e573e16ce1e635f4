"""default event types: what the 2023 indicators count

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

event_type = sa.table(
    'event_type',
    sa.column('code', sa.String), sa.column('name_nl', sa.String), sa.column('name_fr', sa.String),
    sa.column('sector', sa.Integer), sa.column('social_prevention', sa.Boolean),
    sa.column('needs_participants', sa.Boolean), sa.column('active', sa.Boolean),
)

# code, Dutch name, French name, sector, social prevention (details hidden from the police
# liaison), counts participants
TYPES = [
    ('individual_consultation', 'Individuele raadpleging', 'Consultation individuelle', 1, True, False),
    ('awareness_session', 'Opleidings-/bewustmakingssessie', 'Session de formation/sensibilisation', 1, True, True),
    ('colloquium_participation', 'Deelname aan colloquium, opleiding of studiedag', "Participation à un colloque, une formation ou une journée d'étude", 1, True, False),
    ('subgroup_participation', 'Deelname aan een subwerkgroep van de hogere overheden', 'Participation à un sous-groupe de travail des autorités supérieures', 1, True, False),
    ('csil_meeting', 'Deelname aan de LIVC-R (CSIL) van de politiezone', 'Participation à la CSIL de la zone de police', 1, False, False),
    ('police_contact', 'Contact met de radicaliseringscel van de lokale politie', 'Contact avec la cellule radicalisme de la police locale', 1, False, False),
    ('project', 'Opgezet project (eigenwaarde, weerbaarheid)', 'Projet mis en place (estime de soi, résilience)', 1, True, False),
    ('listening_space_opened', 'Mijlpaal: luister-, informatie- en adviesruimte geopend', "Jalon : espace d'écoute, d'information et de conseil ouvert", 1, True, False),
    ('extralocal_relations', 'Mijlpaal: betrekkingen met extra-lokale diensten', 'Jalon : relations avec des services extra-locaux', 1, True, False),
    ('expertise_strengthened', 'Mijlpaal: deskundigheid versterkt', 'Jalon : expertise renforcée', 1, True, False),
    ('field_observation', 'Veldwaarneming', 'Observation de terrain', 1, True, False),
    ('recommendation', 'Geformuleerde aanbeveling', 'Recommandation formulée', 1, True, False),
    ('threat_analysis', 'Bijdrage aan de dreigingsanalyse', "Contribution à l'analyse de la menace", 2, False, False),
    ('monitoring', 'Bijdrage aan de monitoring', 'Contribution au monitoring', 2, False, False),
    ('detection_intelligence', 'Bijdrage aan opsporing en inlichting', 'Contribution à la détection et au renseignement', 2, False, False),
    ('returnee_followup', 'Opvolging van «returnees»', 'Suivi des « returnees »', 2, False, False),
]


def upgrade():
    op.bulk_insert(event_type, [
        dict(code=code, name_nl=nl, name_fr=fr, sector=sector, social_prevention=social,
             needs_participants=participants, active=True)
        for code, nl, fr, sector, social, participants in TYPES
    ])


def downgrade():
    op.execute(event_type.delete().where(event_type.c.code.in_([t[0] for t in TYPES])))
