"""Local competitive tendering: from draft notice to signed contract."""
