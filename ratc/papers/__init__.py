"""Papers: the scenario paper and the factsheets per municipality and for the region, collected once as blocks and
written as Word (DOCX) and PDF, with 300 dpi charts, numbered figures and tables, sources and 'Demodata' where it
applies. May import ratc.core, ratc.warehouse, and as declared seams ratc.monitor (figures, signals, ranks),
ratc.scenario (the model, its sentences and charts) and ratc.hangout (a session's ranked cards and actions)."""
