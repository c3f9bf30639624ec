//! A bounded load test of `POST /validate` over TLS: a fixed number of reviews (the
//! documented example's KubeadmControlPlane) at a fixed concurrency, one keep-alive
//! connection per worker; prints requests per second and p50/p99 latency, then stops.
//!
//! `cargo run --release -p fips-webhook --example load -- ADDR CA_PEM COUNT CONCURRENCY`

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::body::Body;
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{pem::PemObject, CertificateDer, ServerName};

fn review() -> String {
    serde_json::json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "load",
            "kind": {"group": "controlplane.cluster.x-k8s.io", "version": "v1beta1", "kind": "KubeadmControlPlane"},
            "resource": {"group": "controlplane.cluster.x-k8s.io", "version": "v1beta1", "resource": "kubeadmcontrolplanes"},
            "name": "myfipscluster-control-plane", "namespace": "default", "operation": "CREATE", "userInfo": {},
            "object": {
                "apiVersion": "controlplane.cluster.x-k8s.io/v1beta1", "kind": "KubeadmControlPlane",
                "metadata": {"name": "myfipscluster-control-plane", "namespace": "default",
                             "labels": {"cluster.x-k8s.io/cluster-name": "myfipscluster"}},
                "spec": {"replicas": 3, "version": "v1.22.8+fips.0",
                    "machineTemplate": {"infrastructureRef": {"apiVersion": "infrastructure.cluster.x-k8s.io/v1beta2", "kind": "AWSMachineTemplate", "name": "myfipscluster-control-plane"}},
                    "kubeadmConfigSpec": {"clusterConfiguration": {
                    "imageRepository": "docker.io/mesosphere",
                    "etcd": {"local": {"imageRepository": "docker.io/mesosphere", "imageTag": "v3.4.13_fips.0"}}}}},
            },
        },
    })
    .to_string()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, ca, count, concurrency] = &args[..] else {
        return Err("usage: load ADDR CA_PEM COUNT CONCURRENCY".into());
    };
    let (count, concurrency): (usize, usize) = (count.parse()?, concurrency.parse()?);
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca)? {
        roots.add(cert?)?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let body = review();
    let start = Instant::now();
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let n = count / concurrency + usize::from(w < count % concurrency);
        let (connector, addr, body) = (connector.clone(), addr.clone(), body.clone());
        workers.push(tokio::spawn(async move {
            let tcp = tokio::net::TcpStream::connect(&addr).await?;
            let tls = connector
                .connect(ServerName::try_from("127.0.0.1")?.to_owned(), tcp)
                .await?;
            let (mut sender, conn) =
                hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(tls)).await?;
            tokio::spawn(conn);
            let mut latencies = Vec::with_capacity(n);
            for _ in 0..n {
                let t = Instant::now();
                let request = Request::post("/validate")
                    .header("host", "127.0.0.1")
                    .header("content-type", "application/json")
                    .body(Body::from(body.clone()))?;
                let response = sender.send_request(request).await?;
                let status = response.status();
                let bytes = axum::body::to_bytes(Body::new(response.into_body()), 1 << 20).await?;
                if !status.is_success() || !bytes.windows(14).any(|w| w == b"\"allowed\":true") {
                    return Err(format!(
                        "unexpected answer {status}: {}",
                        String::from_utf8_lossy(&bytes)
                    )
                    .into());
                }
                latencies.push(t.elapsed());
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(latencies)
        }));
    }
    let mut all: Vec<Duration> = Vec::with_capacity(count);
    for w in workers {
        all.extend(w.await?.map_err(|e| e.to_string())?);
    }
    let elapsed = start.elapsed();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1];
    println!(
        "requests {} concurrency {} elapsed {:.3} s: {:.0} req/s, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        all.len(),
        concurrency,
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        all.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    );
    Ok(())
}
