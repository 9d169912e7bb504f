# shape: bps:EnumerationShape
# expect: each comparator, target kind and severity needs exactly one code
INSERT DATA { bp:Approximately a bp:Comparator ; rdfs:label "约等于"@zh , "about"@en }
