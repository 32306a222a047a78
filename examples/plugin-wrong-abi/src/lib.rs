//! A plugin built for a future ABI (version 999): the host must refuse it
//! with a clear error and keep running.

struct Future;

impl mnp_plugin::Plugin for Future {
    fn descriptor() -> String {
        r#"{"id":"future-carrier","senders":["future.test"]}"#.to_string()
    }
    fn parse(_mail: &[u8]) -> Result<String, mnp_plugin::PluginError> {
        Ok("[]".into())
    }
}

mnp_plugin::export_plugin!(Future, 999);
