"""anonymiser: consistent, auditable, reversible pseudonymisation of French interviews.

The data flows one way: read -> detect -> link -> assign -> replace -> write (+ audit);
re-identification runs it back from the audit log and the key file.
"""

__version__ = "0.1.0"
