// Carries the shared precompiled header of the executables (core/pch.h); nothing else.
