"""Pages of the R&D fund: partners (proposals, decisions, agreements), reviewers, managers."""
