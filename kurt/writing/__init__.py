"""The writing workflow: templates, profile, projects, plans and drafts."""
