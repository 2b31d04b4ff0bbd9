// Status/Result are part of the public C++ API; runtime code includes them from here.
#pragma once

#include "eir/status.hpp"
