"""Anonymous insight: daily counts, never content (issue 17).

- `store.py`: the one table, `insight_daily`, in the tracker store's database;
- `record.py`: what a saved conversation turn or a widget beacon adds to it;
- `suppress.py`: small-number suppression (pure functions);
- `report.py`: the suppressed figures the page, the JSON and the CSV show;
- `access.py`: operator and school tokens;
- `routes.py`: `/insight`, `/insight/api`, `/insight/csv` and `/api/beacon` on the web app.
"""
