#include "stats/estimate.hpp"
