// Tests come with the reader (session 3).
#include <gtest/gtest.h>
