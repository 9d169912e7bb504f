# shape: bps:BuildShape
# expect: a build must name exactly one tool (a prov:SoftwareAgent)
DELETE WHERE { ?build prov:wasAssociatedWith ?tool }
