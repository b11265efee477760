#pragma once
// Precompiled header shared by every test executable (LibTorch costs ~20 s per file).
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>
