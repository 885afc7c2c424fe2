"""Review workflow: the binding two-step task, its rules, and set-up."""
