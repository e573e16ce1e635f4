"""The fixtures live in tests/fixtures/, one module per domain; the helpers every test may
import (paths, the test password, login, stored rows) in tests/helpers.py."""

pytest_plugins = [
    "fixtures.database",
    "fixtures.accounts",
    "fixtures.plans",
    "fixtures.smtp",
    "fixtures.browser",
    "fixtures.directory",
    "fixtures.fuzz_profiles",
]
