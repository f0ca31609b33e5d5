// cmake/precompiled.cpp -- the (empty) translation unit that owns the precompiled header.
