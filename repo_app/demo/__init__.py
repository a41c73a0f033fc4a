"""The demo collection: a handful of Vietnamese theses across faculties and access levels."""
