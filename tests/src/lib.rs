//! End-to-end tests of the zongjie binary live in e2e/.
