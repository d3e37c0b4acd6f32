//! SQLite's group commit for new registrations.
//!
//! SQLite lets one transaction write at a time, and each commit waits for the disk (WAL,
//! synchronous=FULL). With a transaction per registration, the write lock was held about 3.5 ms
//! a registration at 20,000 cases (BEGIN, the key, the rows, COMMIT with its fsync, each a hand-off
//! to the connection's thread), so 16 registrars saving at once waited about 50 ms each for
//! their turn. Here the registrations saved at the same moment share one transaction: each
//! writes inside its own savepoint (a failed one is rolled back alone), and the member that finds
//! no other registration waiting for the turn, or that makes [`GROUP_MAX`], commits it. The
//! others wait for that commit (not for the turn) and return with its outcome: nothing is
//! acknowledged before it is on disk.
//!
//! Every other write of the process takes the turn through [`crate::Store::sqlite_write_turn`],
//! which commits an open group first. A member cancelled halfway (its request dropped) leaves its
//! savepoint open; whoever takes the turn next rolls it back.

use crate::{Result, StorageError};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most registrations one group commit holds. The first waits for the others' writes (about
/// a millisecond each) before the commit; eight already make the write lock's share per
/// registration less than half of what it was.
pub(crate) const GROUP_MAX: usize = 8;

/// How many groups' outcomes are remembered for members still to read theirs.
const OUTCOMES_KEPT: usize = 256;

/// SQLite's writers of this process: the turn (a fair lock, writers go in the order they came)
/// and what it guards.
#[derive(Default)]
pub(crate) struct SqliteWrites {
    pub(crate) turn: tokio::sync::Mutex<WriteTurn>,
    /// Registrations waiting for the turn to write (not those waiting for their group's commit).
    waiting: AtomicUsize,
}

/// What the write turn guards: the group transaction left open for the next member, and the
/// outcomes of the last groups.
#[derive(Default)]
pub(crate) struct WriteTurn {
    group: Option<Group>,
    next_group: u64,
    /// (group, committed), the latest last.
    outcomes: VecDeque<(u64, bool)>,
}

struct Group {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    id: u64,
    members: usize,
    /// A member began its savepoint and did not end it (it was cancelled).
    open_member: bool,
    /// Whether the group committed, once it is known.
    ended: tokio::sync::watch::Sender<Option<bool>>,
}

impl WriteTurn {
    /// Commits the open group, if any, and records its outcome.
    pub(crate) async fn flush(&mut self) -> Result<()> {
        let Some(mut group) = self.group.take() else { return Ok(()) };
        // Failed until the commit is known to have happened: a commit cancelled halfway is
        // never reported as done.
        self.record(group.id, false);
        if group.open_member {
            sqlx::query("ROLLBACK TO member").execute(&mut *group.tx).await?;
            sqlx::query("RELEASE member").execute(&mut *group.tx).await?;
        }
        group.tx.commit().await?;
        self.record(group.id, true);
        group.ended.send_replace(Some(true));
        Ok(())
    }

    fn record(&mut self, id: u64, committed: bool) {
        match self.outcomes.iter_mut().find(|(g, _)| *g == id) {
            Some(o) => o.1 = committed,
            None => {
                self.outcomes.push_back((id, committed));
                if self.outcomes.len() > OUTCOMES_KEPT {
                    self.outcomes.pop_front();
                }
            }
        }
    }

    /// Whether group `id` committed, once it has ended.
    fn outcome(&self, id: u64) -> Option<bool> {
        self.outcomes.iter().find(|(g, _)| *g == id).map(|(_, c)| *c)
    }

    /// Rolls back the savepoint of a member that stopped halfway; a group that cannot is
    /// abandoned (rolled back whole, its members told).
    async fn tidy(&mut self) {
        let Some(group) = self.group.as_mut() else { return };
        if !group.open_member {
            return;
        }
        let undone = async {
            sqlx::query("ROLLBACK TO member").execute(&mut *group.tx).await?;
            sqlx::query("RELEASE member").execute(&mut *group.tx).await?;
            Ok::<(), sqlx::Error>(())
        }
        .await;
        match undone {
            Ok(()) => group.open_member = false,
            Err(_) => {
                if let Some(g) = self.group.take() {
                    self.record(g.id, false);
                }
            }
        }
    }
}

/// Counts a registration waiting for the turn while it exists. A member that found it waiting
/// left the group open for it: if it stops waiting (its request dropped) before it has the turn,
/// the turn is taken for it, which commits the group, so that the transaction is not left open
/// with nobody to end it.
struct Waiting<'a> {
    count: &'a AtomicUsize,
    store: Option<crate::Store>,
}

impl<'a> Waiting<'a> {
    fn new(count: &'a AtomicUsize, store: &crate::Store) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Waiting { count, store: Some(store.clone()) }
    }

    /// It has the turn.
    fn served(mut self) {
        self.store = None;
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::SeqCst);
        if let Some(store) = self.store.take()
            && let Ok(handle) = tokio::runtime::Handle::try_current()
        {
            handle.spawn(async move {
                let _turn = store.sqlite_write_turn().await;
            });
        }
    }
}

impl crate::Store {
    /// Runs `work` as one member of SQLite's group commit (see the module's documentation) on the
    /// writer connection of `pool`: inside a savepoint of the shared write transaction, and
    /// returns its value once the group has committed. An error of `work` rolls back its
    /// savepoint only.
    pub(crate) async fn sqlite_group_write<T, F>(&self, pool: &sqlx::SqlitePool, work: F) -> Result<T>
    where
        F: AsyncFnOnce(&mut sqlx::SqliteConnection) -> Result<T>,
    {
        let writes: &Arc<SqliteWrites> = &self.sqlite_writes;
        let mut turn = {
            let waiting = Waiting::new(&writes.waiting, self);
            let turn = writes.turn.lock().await;
            waiting.served();
            turn
        };
        turn.tidy().await;
        if turn.group.as_ref().is_some_and(|g| g.members >= GROUP_MAX) {
            // Its members learn the outcome from the record.
            let _ = turn.flush().await;
        }
        if turn.group.is_none() {
            let tx = self.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
            let id = turn.next_group;
            turn.next_group += 1;
            turn.group =
                Some(Group { tx, id, members: 0, open_member: false, ended: tokio::sync::watch::Sender::new(None) });
        }
        let (group_id, members, mut ended, done) = {
            let group = turn.group.as_mut().ok_or_else(|| StorageError::Io("no write transaction".into()))?;
            sqlx::query("SAVEPOINT member").execute(&mut *group.tx).await?;
            group.open_member = true;
            let done = work(&mut *group.tx).await;
            if done.is_err() {
                sqlx::query("ROLLBACK TO member").execute(&mut *group.tx).await?;
            }
            sqlx::query("RELEASE member").execute(&mut *group.tx).await?;
            group.open_member = false;
            if done.is_ok() {
                group.members += 1;
            }
            (group.id, group.members, group.ended.subscribe(), done)
        };
        let nobody_waits = writes.waiting.load(Ordering::SeqCst) == 0;
        let value = match done {
            Err(e) => {
                // The others' writes commit now if nobody comes after; an empty transaction is
                // never left holding the write lock.
                if nobody_waits || turn.group.as_ref().is_some_and(|g| g.members == 0) {
                    let _ = turn.flush().await;
                }
                return Err(e);
            }
            Ok(value) => value,
        };
        if nobody_waits || members >= GROUP_MAX {
            turn.flush().await?;
            return Ok(value);
        }
        // The next registration writes in this transaction, and one after it commits.
        drop(turn);
        if let Ok(ended) = ended.wait_for(Option::is_some).await
            && let Some(committed) = *ended
        {
            return if committed { Ok(value) } else { Err(not_committed()) };
        }
        // The group ended without saying (its commit failed or was stopped halfway): the record
        // tells, or the group is still open and this one commits it.
        let mut turn = writes.turn.lock().await;
        if let Some(committed) = turn.outcome(group_id) {
            return if committed { Ok(value) } else { Err(not_committed()) };
        }
        if turn.group.as_ref().is_some_and(|g| g.id == group_id) {
            turn.flush().await?;
            return Ok(value);
        }
        Err(not_committed())
    }
}

fn not_committed() -> StorageError {
    StorageError::Io("the shared write transaction did not commit".into())
}
