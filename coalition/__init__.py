"""Coalition: the software a civil-society coalition uses to run a humanitarian-disarmament campaign."""
