"""The HTTP shell over the exchange: the WSGI app, auth, rate limits, parameters, paging, envelopes and routes."""
