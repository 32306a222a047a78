//! windstream: parser to be written in this session.
