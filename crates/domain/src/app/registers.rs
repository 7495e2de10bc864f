//! Registers: the tills sales are rung up at.
