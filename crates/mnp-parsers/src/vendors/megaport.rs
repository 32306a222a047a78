//! megaport: parser to be written in this session.
