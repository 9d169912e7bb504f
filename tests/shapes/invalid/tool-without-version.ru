# shape: bps:SoftwareAgentShape
# expect: the build tool needs exactly one version
DELETE WHERE { ?tool schema:softwareVersion ?version }
