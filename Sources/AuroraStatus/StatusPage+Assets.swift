extension StatusPage {
    /// The page's style: cards that wrap to one column on a phone, colours by availability.
    static let style = """
        :root{color-scheme:light dark;--ok:#2e7d32;--sleep:#78909c;--bad:#c62828;--line:#8884}
        body{font:16px/1.4 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:.5rem}
        header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline}
        h1{font-size:1.4rem;margin:.3rem 0}h2{font-size:1.15rem;margin:.2rem 0 .4rem}h3{margin:0}
        section{margin:.6rem 0}.cards>section{margin:0}.cards{display:grid;gap:.6rem;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr))}
        .card{border:1px solid var(--line);border-left:.4rem solid var(--line);border-radius:.4rem;padding:.5rem .7rem}
        [data-availability=online]{border-left-color:var(--ok)}[data-availability=asleep]{border-left-color:var(--sleep)}
        [data-availability=unreachable]{border-left-color:var(--bad)}
        .sub{margin:.1rem 0 .4rem;font-size:.85rem;opacity:.8}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.15rem .8rem;margin:0}dt{opacity:.8}dd{margin:0;font-variant-numeric:tabular-nums}
        figure{margin:0}figure svg{width:100%;height:auto;max-height:24rem}
        .log{list-style:none;padding:0;font-size:.9rem}.log li{margin:.2rem 0}.log time{font-variant-numeric:tabular-nums;opacity:.8}
        """

    /// The refresh: every `data-refresh` seconds, `/api/status` is read and each `data-key`
    /// element rewritten as ``StatusText`` writes it; the events and the log lists are rebuilt, and the plot is
    /// read again when today's record count changes. `body[data-refreshed]` counts refreshes.
    static let script = """
        (function () {
          var body = document.body, every = Number(body.dataset.refresh) * 1000, refreshes = 0;
          function pad(n) { return String(n).padStart(2, "0"); }
          function stamp(t) {
            var d = new Date(Math.floor(Number(t)) * 1000);
            return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
              pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
          }
          function duration(s) {
            s = Math.max(Math.floor(Number(s)), 0);
            return s < 60 ? s + " s" : s < 3600 ? Math.floor(s / 60) + " min" :
              s < 86400 ? Math.floor(s / 3600) + " h " + Math.floor(s % 3600 / 60) + " min" :
              Math.floor(s / 86400) + " d " + Math.floor(s % 86400 / 3600) + " h";
          }
          var kinds = {
            time: stamp, duration: duration,
            percent: function (v) { return (Number(v) * 100).toFixed(1) + " %"; },
            connected: function (v) { return v ? "connected" : "disconnected"; },
            yesno: function (v) { return v ? "yes" : "no"; }
          };
          // Numbers keep the text they were sent as (3600.0 stays 3600.0, as on MQTT) where the
          // browser gives JSON.parse the source text.
          function exact(key, value, context) {
            return typeof value === "number" && context && context.source ? context.source : value;
          }
          function at(o, path) { return path.split(".").reduce(function (v, k) { return v == null ? v : v[k]; }, o); }
          // Rebuilds a log list: each entry's time, then the bold and the plain text `parts` gives.
          function log(id, entries, parts) {
            var list = document.getElementById(id);
            if (!entries) return;
            list.textContent = "";
            entries.forEach(function (entry) {
              var li = document.createElement("li"), t = document.createElement("time"), b = document.createElement("b"), p = parts(entry);
              t.textContent = stamp(entry.time);
              b.textContent = p[0];
              li.append(t, " ", b, " ", p[1]);
              list.append(li);
            });
            if (!entries.length) { var none = document.createElement("li"); none.textContent = list.dataset.empty; list.append(none); }
          }
          function show(s) {
            document.querySelectorAll("[data-key]").forEach(function (e) {
              var v = at(s, e.dataset.key), kind = kinds[e.dataset.kind];
              e.textContent = v == null ? "\\u2014" : (kind ? kind(v) : String(v)) + (e.dataset.unit || "");
            });
            document.querySelectorAll("[data-state]").forEach(function (e) {
              e.dataset.availability = at(s, e.dataset.state) || "unknown";
            });
            log("events", s.events, function (e) { return [e.source, e.type + " " + e.details]; });
            log("problems", s.problems, function (p) { return [p.level, p.message]; });
            var plot = document.getElementById("plot"), records = String(s.archive.recordsToday);
            if (plot.dataset.records !== records || plot.dataset.day !== s.day) {
              plot.dataset.records = records;
              plot.dataset.day = s.day;
              fetch("plot.svg?day=" + s.day + "&inverter=" + encodeURIComponent(plot.dataset.inverter), { cache: "no-store" })
                .then(function (r) { if (!r.ok) throw r; return r.text(); })
                .then(function (svg) { plot.innerHTML = svg.replace(/^<\\?xml[^>]*>\\s*/, ""); })
                .catch(function () {});
            }
            body.dataset.refreshed = ++refreshes;
          }
          function refresh() {
            fetch("api/status", { cache: "no-store" })
              .then(function (r) { if (!r.ok) throw r; return r.text(); })
              .then(function (text) { show(JSON.parse(text, exact)); })
              .catch(function () {})
              .then(function () { setTimeout(refresh, every); });
          }
          setTimeout(refresh, every);
        })();
        """
}
