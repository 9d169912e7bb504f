# shape: bps:SourceDocumentShape
# expect: a source document needs exactly one checksum (an spdx:Checksum)
DELETE WHERE { <disclosure/917003/2020#source> spdx:checksum ?checksum }
