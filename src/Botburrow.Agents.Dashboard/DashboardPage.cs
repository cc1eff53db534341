using System.Globalization;
using System.Net;
using System.Text;

namespace Botburrow.Agents.Dashboard;

/// <summary>
/// The dashboard page: server-rendered tables from a snapshot, and a little JavaScript that refetches
/// <c>/api/v1/dashboard</c> every few seconds (with the session cookie that <c>/dashboard?token=…</c> set) and sends
/// the Stop / Clear / Requeue actions with the <c>ADMIN_TOKEN</c> kept in sessionStorage. Every value is escaped
/// (HTML-encoded here, <c>textContent</c> there).
/// </summary>
internal static class DashboardPage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;background:#fafafa}
        h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.05rem;margin:1.4rem 0 .4rem}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:.9rem;vertical-align:top}
        th{background:#f0f0f0}.empty td{color:#888;font-style:italic}
        .outcome-failed,.outcome-refused_by_budget{color:#a40000}.outcome-succeeded{color:#1a7f37}.outcome-cancelled{color:#8a6d00}
        #status{color:#666;font-size:.85rem}#message{color:#a40000}
        .bar{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}
        """;

    private const string Script = """
        (function(){
          var KEY='botburrow-admin-token';
          var tokenInput=document.getElementById('admin-token');
          tokenInput.value=sessionStorage.getItem(KEY)||'';
          document.getElementById('save-token').addEventListener('click',function(){
            sessionStorage.setItem(KEY,tokenInput.value.trim());say('');
          });
          function say(text){document.getElementById('message').textContent=text;}
          function cell(tr,text){var td=document.createElement('td');td.textContent=text==null?'':String(text);tr.appendChild(td);return td;}
          function button(td,label,cls,url){var b=document.createElement('button');b.type='button';b.className=cls;b.textContent=label;
            b.dataset.url=url;td.appendChild(b);}
          document.addEventListener('click',function(e){var b=e.target.closest('button[data-url]');if(b){act(b.dataset.url);}});
          function fill(id,rows,cols,make){var body=document.querySelector('#'+id+' tbody');body.replaceChildren();
            if(rows.length===0){var tr=document.createElement('tr');tr.className='empty';var td=cell(tr,'none');td.colSpan=cols;body.appendChild(tr);return;}
            rows.forEach(function(r){var tr=document.createElement('tr');make(tr,r);body.appendChild(tr);});}
          function secs(v){return v==null?'-':v+' s';}
          function time(v){return v?new Date(v).toISOString().replace('.000','').replace('T',' '):'-';}
          function bytes(v){return v<1024?v+' B':v<1048576?(v/1024).toFixed(1)+' KiB':(v/1048576).toFixed(1)+' MiB';}
          function enc(v){return encodeURIComponent(v);}
          function render(s){
            document.getElementById('leader').textContent=s.leader||'none';
            document.getElementById('epoch').textContent=String(s.epoch);
            document.getElementById('leader-since').textContent=time(s.leader_since);
            fill('queues',s.queues,3,function(tr,q){tr.dataset.queue=q.name;cell(tr,q.name);cell(tr,q.depth);cell(tr,secs(q.oldest_age_seconds));});
            fill('runners',s.runners,6,function(tr,r){tr.dataset.runner=r.id;cell(tr,r.id);cell(tr,r.mode);cell(tr,r.in_flight+' / '+r.slots);cell(tr,r.agents.join(', ')||'-');cell(tr,r.leases_lost);cell(tr,secs(r.last_seen_seconds));});
            fill('activations',s.activations,7,function(tr,a){tr.dataset.activation=a.id;tr.dataset.agent=a.agent;cell(tr,a.agent);cell(tr,a.task);cell(tr,a.runner);cell(tr,secs(a.age_seconds));cell(tr,a.attempt);cell(tr,a.id);
              button(cell(tr,''),'Stop','stop','/api/v1/activations/'+enc(a.id)+'/stop');});
            fill('backoff',s.backoff,4,function(tr,b){tr.dataset.agent=b.agent;cell(tr,b.agent);cell(tr,b.failures);cell(tr,b.until?time(b.until)+' ('+secs(b.remaining_seconds)+' left)':'-');
              button(cell(tr,''),'Clear','clear','/api/v1/backoff/'+enc(b.agent)+'/clear');});
            fill('dead',s.dead,6,function(tr,d){tr.dataset.dead=d.id;cell(tr,d.agent);cell(tr,d.task);cell(tr,d.attempt);cell(tr,time(d.dead_at));cell(tr,d.error||'');
              button(cell(tr,''),'Requeue','requeue','/api/v1/dead/'+enc(d.id)+'/requeue');});
            fill('recent',s.recent,7,function(tr,r){tr.dataset.activation=r.id;tr.dataset.agent=r.agent;cell(tr,r.agent);cell(tr,r.task);cell(tr,r.runner);
              var o=cell(tr,r.outcome);o.className='outcome outcome-'+r.outcome;cell(tr,secs(r.duration_seconds));cell(tr,r.error||'');
              var a=document.createElement('a');a.href=r.transcript;a.textContent='transcript';cell(tr,'').appendChild(a);});
            fill('memory',s.memory,3,function(tr,m){tr.dataset.agent=m.agent;cell(tr,m.agent);cell(tr,bytes(m.bytes));cell(tr,bytes(m.max_bytes));});
            document.getElementById('memory-error').textContent=s.memory_error||'';
            document.getElementById('status').textContent='updated '+time(s.generated_at);
          }
          async function refresh(){
            try{var r=await fetch('/api/v1/dashboard',{cache:'no-store',credentials:'same-origin'});
              if(r.status===401||r.status===403){var p=await r.json().catch(function(){return {};});throw new Error((p.title||'HTTP '+r.status)+': open /dashboard?token=<DASHBOARD_TOKEN> again');}
              if(!r.ok)throw new Error('HTTP '+r.status);render(await r.json());}
            catch(e){document.getElementById('status').textContent='refresh failed: '+e.message;}
          }
          async function act(url){
            var token=sessionStorage.getItem(KEY)||'';
            if(!token){say('Enter ADMIN_TOKEN above to use actions.');return;}
            var r=await fetch(url,{method:'POST',headers:{'Authorization':'Bearer '+token}});
            if(r.status===401||r.status===403){var p=await r.json().catch(function(){return {};});say((p.title||'refused')+(p.detail?': '+p.detail:''));}
            else if(!r.ok){say('action failed: HTTP '+r.status);}
            else{say('');}
            await refresh();
          }
          refresh();
          setInterval(refresh,2000);
        })();
        """;

    public static string Render(DashboardSnapshot s)
    {
        var html = new StringBuilder(8192);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Botburrow fleet</title><style>")
            .Append(Style).Append("</style></head><body>");
        html.Append("<h1>Botburrow fleet</h1><div class=\"bar\"><span>Leader: <b id=\"leader\">").Append(E(s.Leader ?? "none"))
            .Append("</b></span><span>Epoch: <b id=\"epoch\">").Append(s.Epoch.ToString(CultureInfo.InvariantCulture))
            .Append("</b></span><span>Since: <span id=\"leader-since\">").Append(E(Time(s.LeaderSince))).Append("</span></span>")
            .Append("<label>ADMIN_TOKEN <input id=\"admin-token\" type=\"password\" autocomplete=\"off\"></label><button id=\"save-token\" type=\"button\">Use token</button>")
            .Append("<span id=\"status\">updated ").Append(E(Time(s.GeneratedAt))).Append("</span><span id=\"message\"></span></div>");

        Table(html, "queues", "Queues", ["Queue", "Depth", "Oldest"], s.Queues.Select(q => (Attr("queue", q.Name), new[] { q.Name, N(q.Depth), Secs(q.OldestAgeSeconds) }, (string?)null)));
        Table(html, "runners", "Runners", ["Runner", "Mode", "In flight / slots", "Running", "Leases lost", "Last heartbeat"], s.Runners.Select(r => (Attr("runner", r.Id), new[] { r.Id, r.Mode, $"{N(r.InFlight)} / {N(r.Slots)}", r.Agents.Count == 0 ? "-" : string.Join(", ", r.Agents), N(r.LeasesLost), Secs(r.LastSeenSeconds) }, (string?)null)));
        Table(html, "activations", "Running activations", ["Agent", "Task", "Runner", "Age", "Attempt", "Id", ""], s.Activations.Select(a => (Attr("activation", a.Id) + Attr("agent", a.Agent), new[] { a.Agent, a.Task, a.Runner, Secs(a.AgeSeconds), N(a.Attempt), a.Id }, (string?)Button("Stop", "stop", "/api/v1/activations/" + Uri.EscapeDataString(a.Id) + "/stop"))));
        Table(html, "backoff", "Agents in backoff", ["Agent", "Failures", "Until", ""], s.Backoff.Select(b => (Attr("agent", b.Agent), new[] { b.Agent, N(b.Failures), b.Until is null ? "-" : $"{Time(b.Until)} ({Secs(b.RemainingSeconds)} left)" }, (string?)Button("Clear", "clear", "/api/v1/backoff/" + Uri.EscapeDataString(b.Agent) + "/clear"))));
        Table(html, "dead", "Dead letters", ["Agent", "Task", "Attempt", "Dead at", "Last error", ""], s.Dead.Select(d => (Attr("dead", d.Id), new[] { d.Agent, d.Task, N(d.Attempt), Time(d.DeadAt), d.Error ?? "" }, (string?)Button("Requeue", "requeue", "/api/v1/dead/" + Uri.EscapeDataString(d.Id) + "/requeue"))));
        Table(html, "recent", "Recent activations", ["Agent", "Task", "Runner", "Outcome", "Duration", "Error", "Transcript"], s.Recent.Select(r => (Attr("activation", r.Id) + Attr("agent", r.Agent), new[] { r.Agent, r.Task, r.Runner, r.Outcome, Secs(r.DurationSeconds), r.Error ?? "" }, (string?)$"<td><a href=\"{E(r.Transcript)}\">transcript</a></td>")));

        Table(html, "memory", "Agent memory", ["Agent", "Size", "Limit (max_size_mb)"], s.Memory.Select(m => (Attr("agent", m.Agent), new[] { m.Agent, Bytes(m.Bytes), Bytes(m.MaxBytes) }, (string?)null)));
        html.Append("<p id=\"memory-error\">").Append(E(s.MemoryError ?? "")).Append("</p>");

        html.Append("<script>").Append(Script).Append("</script></body></html>");
        return html.ToString();
    }

    /// <summary>An activation's transcript (escaped), or a note that none is stored (expired after 7 days, or never run).</summary>
    public static string RenderTranscript(string activationId, IEnumerable<string>? lines)
        => "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Transcript</title></head><body>"
            + $"<h1>Transcript of activation {E(activationId)}</h1>"
            + (lines is null
                ? "<p id=\"transcript\">No transcript is stored for this activation (transcripts are kept 7 days).</p>"
                : "<pre id=\"transcript\">" + E(string.Join('\n', lines)) + "</pre>")
            + "<p><a href=\"/dashboard\">Back to the dashboard</a></p></body></html>";

    private static void Table(StringBuilder html, string id, string title, string[] headers, IEnumerable<(string Attributes, string[] Cells, string? Extra)> rows)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2><table id=\"").Append(id).Append("\"><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var (attributes, cells, extra) in rows)
        {
            any = true;
            html.Append("<tr").Append(attributes).Append('>');
            foreach (var cell in cells)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append(extra);
            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append("<tr class=\"empty\"><td colspan=\"").Append(headers.Length.ToString(CultureInfo.InvariantCulture)).Append("\">none</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    /// <summary>An action button; the page's script posts to its <c>data-url</c> with the token.</summary>
    private static string Button(string label, string cls, string url)
        => $"<td><button type=\"button\" class=\"{cls}\" data-url=\"{E(url)}\">{E(label)}</button></td>";

    private static string Attr(string name, string value) => $" data-{name}=\"{E(value)}\"";

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bytes(long value) => value switch
    {
        < 1024 => N(value) + " B",
        < 1024 * 1024 => (value / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (value / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };

    private static string Secs(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + " s" : "-";

    private static string Time(DateTimeOffset? time) => time is { } t && t != default ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
