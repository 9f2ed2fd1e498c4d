"""Real services the tests (and ``make run``) start beside the platform: identity providers
that run in processes of their own, never mocks in their place."""
