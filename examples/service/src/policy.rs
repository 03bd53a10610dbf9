//! The policy in force, and reloading it from its file without dropping a request.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use voucher_policy::{Engine, Policy};

/// The engine deciding on the policy in force, swapped whole on reload.
///
/// A request takes the engine once, at its start, and decides on it to the end: a reload never
/// changes a decision half-way, never waits for requests to finish and never makes one wait.
#[derive(Debug)]
pub struct PolicyInForce {
    file: Option<PathBuf>,
    engine: RwLock<Arc<Engine>>,
}

impl PolicyInForce {
    /// The policy in `file` (TOML, or JSON when the name ends in `.json`), or the embedded
    /// default policy when there is no file. Fails with every problem of the file.
    pub fn load(file: Option<&Path>) -> Result<PolicyInForce, String> {
        let engine = match file {
            Some(path) => read(path)?,
            None => Engine::default(),
        };
        Ok(PolicyInForce {
            file: file.map(Path::to_path_buf),
            engine: RwLock::new(Arc::new(engine)),
        })
    }

    /// The engine in force now.
    pub fn engine(&self) -> Arc<Engine> {
        // The lock is only held to clone or replace an `Arc`, which cannot panic; a poisoned
        // lock still holds a whole engine.
        Arc::clone(&self.engine.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Reads the policy file again and puts it in force. When the file does not load, the
    /// policy in force stays and the error names every problem.
    pub fn reload(&self) -> Result<Reloaded, String> {
        let Some(path) = &self.file else {
            return Ok(Reloaded::NoFile);
        };
        let engine = Arc::new(read(path)?);
        let policy = engine.policy();
        let loaded = Reloaded::Loaded {
            name: policy.name().to_owned(),
            version: policy.version().to_owned(),
        };
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine;
        Ok(loaded)
    }
}

/// What a reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reloaded {
    /// The service runs on the embedded default policy: there is no file to read again.
    NoFile,
    /// The file's policy is in force.
    Loaded {
        /// Its name.
        name: String,
        /// Its version.
        version: String,
    },
}

/// The engine for the policy in `path`, logging the policy's lint warnings.
fn read(path: &Path) -> Result<Engine, String> {
    let policy = Policy::load(path).map_err(|error| error.to_string())?;
    for warning in policy.lint() {
        tracing::warn!(policy = %path.display(), "{warning}");
    }
    Ok(Engine::new(policy))
}
