"""The lifecycle toolkit every state machine of the platform uses.

A machine is a model with one protected ``FSMField`` and transitions declared with
``@logged_transition`` (``transitions.py``), whose conditions are ``@guard``-decorated functions
(``guards.py``). ``services.transition_run`` runs a named transition under a row lock, evaluates
its guards once, logs it (django-fsm-log) and writes the audit entry; ``selectors`` answers what a
user may do now, what is blocked and why, and the history; ``api.add_transition_routes`` gives a
router the two endpoints ``GET …/transitions`` and ``POST …/transitions/{name}``. ``versions``
is the agreed version (draft → adopted → superseded) that budgets and fee schedules share.
"""
