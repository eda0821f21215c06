//! End-to-end tests of the zongjie binary.
