//! crown-castle: parser to be written in this session.
