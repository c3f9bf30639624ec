//! A kubeconfig context turned into a client with time-outs, as kubectl reads it.

use kube::{
    config::{KubeConfigOptions, Kubeconfig},
    Client, Config,
};

use crate::{Error, Source};

/// A kubeconfig is a few kilobytes; one with embedded certificates stays far below this.
const MAX_KUBECONFIG_BYTES: u64 = 16 << 20;

/// A client for the source's context, the server's URL (named in every error) and the
/// context's namespace.
pub(crate) struct Connection {
    pub client: Client,
    pub server: String,
    pub namespace: String,
}

pub(crate) async fn connect(source: &Source) -> Result<Connection, Error> {
    let path = source.kubeconfig.display().to_string();
    let bad = |reason: String| Error::Kubeconfig {
        path: path.clone(),
        reason,
    };
    // The one reader of named files first: a regular file, never a fifo, bounded. kube then
    // reads it again to resolve the relative paths in it against the file's folder.
    fips_core::read_text_file(&source.kubeconfig, MAX_KUBECONFIG_BYTES)
        .map_err(|e| bad(e.to_string()))?;
    let kubeconfig = Kubeconfig::read_from(&source.kubeconfig).map_err(|e| bad(chain(&e)))?;
    let options = KubeConfigOptions {
        context: source.context.clone(),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| bad(chain(&e)))?;
    config.connect_timeout = Some(source.timeout);
    config.read_timeout = Some(source.timeout);
    config.write_timeout = Some(source.timeout);
    let server = config
        .cluster_url
        .to_string()
        .trim_end_matches('/')
        .to_owned();
    let namespace = config.default_namespace.clone();
    // TLS draws random bytes and uses the algorithms only the conditional self-tests cover.
    fips_core::randomness_selftest()?;
    let client = Client::try_from(config).map_err(|e| bad(chain(&e)))?;
    Ok(Connection {
        client,
        server,
        namespace,
    })
}

/// An error and its causes, one after another (kube's own messages stop at the first).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let next = e.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        cause = e.source();
    }
    text
}
