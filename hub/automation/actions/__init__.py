"""Actions: validation (:mod:`.schema`) and running them with traces (:mod:`.runner`)."""
