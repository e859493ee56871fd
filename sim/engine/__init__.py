"""The SimPy world that plays a scenario out, its event log, metrics and the Session API."""
