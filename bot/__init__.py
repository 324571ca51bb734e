"""creative-intake domain: briefs, catalog, analysis, conversation. No Slack imports here."""
