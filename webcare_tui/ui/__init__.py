"""The Textual UI: the only package that imports Textual. It reaches the store only through the
workspace's handles from `services/` (in workers), never SQLite or HTTP directly.

Adding a screen (escalations, agents, reports, triage):
- subclass `screens.workspace_screen.WorkspaceScreen`: it is constructed with the
  `services.workspace.Workspace`, and its `data_changed()` is called whenever the store changes;
- give its widgets the narrow handle they show (a pager, a loader, a new handle in `services/`
  added to the Workspace), never the Workspace's store;
- do store work in `@work(thread=True, exit_on_error=False)` workers; a failure there reaches
  the App's backstop (`failures.py`) and is shown as one notice; refusals the agent can act on
  go through `failures.notify_failure`; post `messages.DataChanged()` after a change;
- modals subclass `dialogs.dialog.Dialog`; widgets that run workers mix in
  `failures.ForwardsWorkerFailures` (a test checks every class with `@work` does).
"""
