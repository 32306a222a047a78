//! global-cloud-xchange: parser to be written in this session.
