// Sort the tables the generator marks as sortable; tablesort ships with the site (no CDN).
document$.subscribe(function () {
  document.querySelectorAll(".jx-sortable table").forEach(function (table) {
    if (!table.dataset.sortReady) {
      new Tablesort(table);
      table.dataset.sortReady = "1";
    }
  });
});
