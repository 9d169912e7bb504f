# shape: bps:ChecksumShape
# expect: the checksum must be 64 lowercase hex digits (xsd:hexBinary)
DELETE { ?c spdx:checksumValue ?v } INSERT { ?c spdx:checksumValue "4BE1AC35163E64B706B22FF8DB599FBB1A2C0852C2A893000F90ADFC5206C1D2"^^xsd:hexBinary }
WHERE { ?c spdx:checksumValue ?v }
