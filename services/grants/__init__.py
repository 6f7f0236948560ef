"""Grant funds: funds and their rules, calls, applications, the official's assessment and decision."""
