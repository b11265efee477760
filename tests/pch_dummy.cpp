// Carries the tests precompiled header (tests/pch.h); nothing else.
