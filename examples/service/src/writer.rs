//! The decision queue and its writers: `POST /decisions` queues its request and waits; a writer
//! takes everything queued (up to a batch's limit), decides and records it in one transaction
//! (see [`crate::batch`]), and answers each request once the commit is on disk.
//!
//! The queue is bounded: a request that finds it full is refused at once (503 with
//! `Retry-After`) rather than waiting behind more work than the store can do in time. Stopping
//! closes the queue, lets the writers decide and commit what is in it, and waits for them.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::batch::{BatchFailed, Item};
use crate::metrics::Metrics;
use crate::store::{Recorded, Store, StoreError, Ticket};

/// How the queue and its writers are sized.
#[derive(Debug, Clone, Copy)]
pub struct WriterSettings {
    /// Requests that may wait for a writer; one more is refused.
    pub queue_depth: usize,
    /// The most requests one transaction decides.
    pub batch_max: usize,
    /// Writers, each running one transaction at a time.
    pub writers: usize,
}

/// Why a request was not decided by the writer.
#[derive(Debug)]
pub enum WriteError {
    /// The queue is full: the service is past what the store can commit in time.
    Full,
    /// The service is stopping and takes no more requests.
    Stopped,
    /// The store failed; nothing of this request is recorded (or, when the commit failed,
    /// nothing is known to be).
    Store(StoreError),
    /// The writer ended without answering (it never does unless the runtime shuts down).
    Unanswered,
}

/// A queued request and where its answer goes.
struct Job<E> {
    item: Item<E>,
    answer: oneshot::Sender<Result<Recorded<E>, StoreError>>,
}

/// The queue's sending end and the writers, shared by every request.
pub struct Writer<E> {
    /// `None` once stopped: dropping the sender is what tells the writers to finish.
    queue: Mutex<Option<mpsc::Sender<Job<E>>>>,
    depth: usize,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    metrics: Arc<Metrics>,
}

impl<E> std::fmt::Debug for Writer<E> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Writer")
            .field("depth", &self.depth)
            .field("queued", &self.queued())
            .finish_non_exhaustive()
    }
}

impl<E> Writer<E> {
    /// Requests waiting for a writer now.
    pub fn queued(&self) -> usize {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map_or(0, |queue| self.depth.saturating_sub(queue.capacity()))
    }

    /// How many requests the queue holds at most.
    pub fn depth(&self) -> usize {
        self.depth
    }
}

impl<E: Send + 'static> Writer<E> {
    /// Starts `settings.writers` writers on `store`, behind a queue of `settings.queue_depth`.
    /// Needs a Tokio runtime.
    pub fn start(store: Store, settings: WriterSettings, metrics: Arc<Metrics>) -> Writer<E> {
        let (sender, receiver) = mpsc::channel(settings.queue_depth.max(1));
        // Writers take turns at the queue's receiving end; each then runs its batch alone.
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        let batch_max = settings.batch_max.max(1);
        let tasks = (0..settings.writers.max(1))
            .map(|_| {
                tokio::spawn(write(
                    store.clone(),
                    Arc::clone(&receiver),
                    batch_max,
                    Arc::clone(&metrics),
                ))
            })
            .collect();
        Writer {
            queue: Mutex::new(Some(sender)),
            depth: settings.queue_depth.max(1),
            tasks: Mutex::new(tasks),
            metrics,
        }
    }

    /// Queues `item` and waits for its answer, which comes only after its batch committed.
    /// Refused at once when the queue is full or the writer stopped.
    pub async fn decide(&self, item: Item<E>) -> Result<Recorded<E>, WriteError> {
        let (answer, answered) = oneshot::channel();
        let sent = match &*self.queue.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(queue) => queue.try_send(Job { item, answer }),
            None => return Err(WriteError::Stopped),
        };
        match sent {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.metrics.shed();
                return Err(WriteError::Full);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => return Err(WriteError::Stopped),
        }
        match answered.await {
            Ok(result) => result.map_err(WriteError::Store),
            Err(_) => Err(WriteError::Unanswered),
        }
    }

    /// Closes the queue and waits until the writers have decided and committed everything
    /// that was in it.
    pub async fn stop(&self) {
        drop(
            self.queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(PoisonError::into_inner));
        for task in tasks {
            if let Err(error) = task.await {
                tracing::error!(%error, "a writer ended abnormally");
            }
        }
    }
}

/// One writer: takes what is queued, up to `batch_max`, decides and answers it, and again,
/// until the queue is closed and empty.
async fn write<E>(
    store: Store,
    receiver: Arc<tokio::sync::Mutex<mpsc::Receiver<Job<E>>>>,
    batch_max: usize,
    metrics: Arc<Metrics>,
) {
    let mut jobs = Vec::with_capacity(batch_max);
    loop {
        let taken = receiver.lock().await.recv_many(&mut jobs, batch_max).await;
        if taken == 0 {
            return;
        }
        metrics.batch(taken);
        run(&store, std::mem::take(&mut jobs)).await;
    }
}

/// Decides a batch and answers every request of it: from the batch's commit; one by one in
/// transactions of their own when the batch rolled back; with the error when the commit failed.
async fn run<E>(store: &Store, jobs: Vec<Job<E>>) {
    let (items, answers): (Vec<Item<E>>, Vec<_>) =
        jobs.into_iter().map(|job| (job.item, job.answer)).unzip();
    match store.decide_batch(&items).await {
        Ok(results) => {
            for (answer, result) in answers.into_iter().zip(results) {
                // The caller may have gone (its connection closed); what it asked is recorded.
                let _ = answer.send(Ok(result));
            }
        }
        Err(BatchFailed::RolledBack(error)) => {
            tracing::warn!(
                %error,
                requests = items.len(),
                "a batch rolled back; deciding its requests one at a time"
            );
            for (item, answer) in items.iter().zip(answers) {
                let ticket = Ticket {
                    customer_id: &item.customer_id,
                    idempotency_key: item.idempotency_key.as_deref(),
                    request: &item.request,
                };
                let result = store.decide(ticket, |history| (item.decide)(history)).await;
                let _ = answer.send(result);
            }
        }
        Err(BatchFailed::Commit(error)) => {
            tracing::error!(%error, requests = items.len(), "a batch's commit failed");
            let error = Arc::new(error);
            for answer in answers {
                let _ = answer.send(Err(StoreError::Shared(Arc::clone(&error))));
            }
        }
    }
}
