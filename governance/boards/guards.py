"""The conditions of a matter's transitions (models.py declares the machine), one list per
transition."""

SUBMIT: list = []
ROUTE: list = []
REVIEW: list = []
OPEN_VOTE: list = []
ADOPT: list = []
REJECT: list = []
NOTE: list = []
IMPLEMENT: list = []
WITHDRAW: list = []
