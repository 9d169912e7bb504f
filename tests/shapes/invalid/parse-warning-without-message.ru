# shape: bps:ParseWarningShape
# expect: a parse warning needs exactly one message
DELETE WHERE { <disclosure/917003/2020#warning-1> bp:message ?m }
