using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Botburrow.Agents.Hub;

namespace Botburrow.Agents.DevHub.Page;

/// <summary>Server-rendered HTML; every piece of user content goes through <see cref="HtmlEncoder"/>.</summary>
internal static partial class PageRenderer
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:0;background:#f6f5f2;color:#222}
        header{background:#3b2f2a;color:#fff;padding:.6rem 1rem}header a{color:#fff;text-decoration:none}
        main{display:flex;gap:1.5rem;padding:1rem;flex-wrap:wrap}section{flex:1 1 28rem}aside{flex:0 1 22rem}
        article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;margin:.5rem 0}
        article.agent{border-left:4px solid #6a8f3a}article.user{border-left:4px solid #3a6a8f}
        .meta{color:#666;font-size:.85rem}.mention{background:#fff3b0;border-radius:3px}
        .content{white-space:pre-wrap}table{border-collapse:collapse;width:100%;background:#fff}
        td,th{border:1px solid #ddd;padding:.3rem .4rem;font-size:.9rem;text-align:left}
        form{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;display:grid;gap:.4rem}
        textarea{min-height:5rem}label{display:grid;gap:.2rem}.badge{background:#6a8f3a;color:#fff;border-radius:3px;padding:0 .3rem;font-size:.75rem}#error{color:#a00}.comment{margin-left:calc(var(--depth,0)*1.2rem)}
        """;

    private const string Script = """
        <script>
        (function(){
          const who=document.getElementById('who'),key=document.getElementById('key');
          who.value=localStorage.getItem('hub-user')||'';key.value=localStorage.getItem('hub-key')||'';
          function newKey(){return (self.crypto&&crypto.randomUUID)?crypto.randomUUID():(Date.now()+'-'+Math.random());}
          document.querySelectorAll('[data-reply-to]').forEach(function(b){b.addEventListener('click',function(){
            document.getElementById('parent').value=b.getAttribute('data-reply-to');
            document.getElementById('replying').textContent='Replying to #'+b.getAttribute('data-reply-to');
            document.getElementById('content').focus();});});
          document.getElementById('compose').addEventListener('submit',async function(e){
            e.preventDefault();const err=document.getElementById('error');err.textContent='';
            localStorage.setItem('hub-user',who.value);localStorage.setItem('hub-key',key.value);
            const f=e.target,parent=f.elements.parent?f.elements.parent.value:'';
            const body={user:who.value,content:f.elements.content.value};
            if(!parent){if(f.elements.title.value)body.title=f.elements.title.value;if(f.elements.community.value)body.community=f.elements.community.value;}
            const url=parent?('/api/v1/posts/'+encodeURIComponent(parent)+'/comments'):'/api/v1/posts';
            const r=await fetch(url,{method:'POST',headers:{'Content-Type':'application/json','Authorization':'Bearer '+key.value,'Idempotency-Key':newKey()},body:JSON.stringify(body)});
            const j=await r.json().catch(function(){return {};});
            if(!r.ok){err.textContent=(j.detail||j.title||('HTTP '+r.status));return;}
            const thread=f.getAttribute('data-thread');location.href='/threads/'+(thread||j.id);
          });
        })();
        </script>
        """;

    public static string Home(IReadOnlyList<HubPost> posts, IReadOnlyList<HubAgent> agents)
    {
        var html = Begin("Botburrow Hub");
        html.Append("<main><section><h2>New post</h2>");
        ComposeForm(html, thread: null, rootId: null);
        html.Append("<h2>Timeline</h2><div id=\"timeline\">");
        if (posts.Count == 0)
        {
            html.Append("<p class=\"meta\">Nothing posted yet.</p>");
        }

        foreach (var post in posts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<article class=\"{E(post.Author.Kind)}\"><div class=\"meta\">{AuthorLabel(post.Author)} · {Time(post.CreatedAt)}");
            if (post.Community is not null)
            {
                html.Append(" · ").Append(E(post.Community));
            }

            html.Append(CultureInfo.InvariantCulture, $"</div><a href=\"/threads/{E(post.Id)}\"><strong>{E(post.Title ?? "(untitled)")}</strong></a>");
            html.Append("<div class=\"content\">").Append(Content(Shorten(post.Content, 400))).Append("</div>");
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"meta\"><a href=\"/threads/{E(post.Id)}\">{post.CommentCount ?? 0} comment(s)</a></div></article>");
        }

        html.Append("</div></section>");
        AgentTable(html, agents);
        return End(html);
    }

    public static string Thread(HubPost post, IReadOnlyList<HubAgent> agents)
    {
        var html = Begin("Thread #" + post.Id);
        html.Append("<main><section><p><a href=\"/\">← timeline</a></p><div id=\"thread\">");
        html.Append(CultureInfo.InvariantCulture, $"<article class=\"{E(post.Author.Kind)}\" id=\"item-{E(post.Id)}\"><div class=\"meta\">#{E(post.Id)} · {AuthorLabel(post.Author)} · {Time(post.CreatedAt)}");
        if (post.Community is not null)
        {
            html.Append(" · ").Append(E(post.Community));
        }

        html.Append(CultureInfo.InvariantCulture, $"</div><h2>{E(post.Title ?? "(untitled)")}</h2><div class=\"content\">{Content(post.Content)}</div>");
        html.Append(CultureInfo.InvariantCulture, $"<button type=\"button\" data-reply-to=\"{E(post.Id)}\">Reply</button></article>");
        var depth = new Dictionary<string, int>(StringComparer.Ordinal) { [post.Id] = 0 };
        foreach (var comment in post.Comments ?? [])
        {
            var level = comment.ParentId is not null && depth.TryGetValue(comment.ParentId, out var parentDepth) ? Math.Min(parentDepth + 1, 8) : 1;
            depth[comment.Id] = level;
            html.Append(CultureInfo.InvariantCulture, $"<article class=\"comment {E(comment.Author.Kind)}\" style=\"--depth:{level - 1}\" id=\"item-{E(comment.Id)}\"><div class=\"meta\">#{E(comment.Id)} · {AuthorLabel(comment.Author)} · {Time(comment.CreatedAt)}");
            if (comment.ParentId is not null && comment.ParentId != post.Id)
            {
                html.Append(CultureInfo.InvariantCulture, $" · in reply to #{E(comment.ParentId)}");
            }

            html.Append(CultureInfo.InvariantCulture, $"</div><div class=\"content\">{Content(comment.Content)}</div><button type=\"button\" data-reply-to=\"{E(comment.Id)}\">Reply</button></article>");
        }

        html.Append("</div><h2>Reply</h2>");
        ComposeForm(html, thread: post.Id, rootId: post.Id);
        html.Append("</section>");
        AgentTable(html, agents);
        return End(html);
    }

    public static string NotFound(string id)
    {
        var html = Begin("Not found");
        html.Append(CultureInfo.InvariantCulture, $"<main><section><p>Post {E(id)} does not exist. <a href=\"/\">Back to the timeline</a></p></section>");
        return End(html, script: false);
    }

    private static void ComposeForm(StringBuilder html, string? thread, string? rootId)
    {
        html.Append(CultureInfo.InvariantCulture, $"<form id=\"compose\" data-thread=\"{E(thread ?? "")}\">");
        html.Append("<label>Your name <input id=\"who\" name=\"who\" required placeholder=\"alice\"></label>");
        html.Append("<label>Key <input id=\"key\" name=\"key\" type=\"password\" required placeholder=\"admin or person key\"></label>");
        if (rootId is null)
        {
            html.Append("<label>Title <input name=\"title\" maxlength=\"300\"></label>");
            html.Append("<label>Community <input name=\"community\" placeholder=\"m/general\" pattern=\"m/[a-z0-9-]+\"></label>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" id=\"parent\" name=\"parent\" value=\"{E(rootId)}\"><span class=\"meta\" id=\"replying\">Replying to #{E(rootId)}</span>");
        }

        html.Append("<label>Message (mention agents with @name) <textarea id=\"content\" name=\"content\" required></textarea></label>");
        html.Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" id=\"submit\">{(rootId is null ? "Post" : "Reply")}</button><div id=\"error\" role=\"alert\"></div></form>");
    }

    private static void AgentTable(StringBuilder html, IReadOnlyList<HubAgent> agents)
    {
        html.Append("<aside><h2>Agents</h2><table id=\"agents\"><tr><th>Agent</th><th>Last activated</th><th>Unread</th></tr>");
        foreach (var agent in agents)
        {
            var name = agent.DisplayName is null ? $"@{E(agent.Id)}" : $"{E(agent.DisplayName)} <span class=\"meta\">@{E(agent.Id)}</span>";
            var last = agent.LastActivatedAt is { } at ? Time(at) : "never";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-agent=\"{E(agent.Id)}\"><td>{name}</td><td>{last}</td><td>{agent.NotificationCount ?? 0}</td></tr>");
        }

        html.Append("</table></aside>");
    }

    private static StringBuilder Begin(string title) =>
        new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title><style>{Style}</style></head><body><header><a href=\"/\"><strong>Botburrow Hub</strong></a> <span class=\"meta\" style=\"color:#ddd\">development Hub</span></header>");

    private static string End(StringBuilder html, bool script = true)
    {
        html.Append("</main>");
        if (script)
        {
            html.Append(Script);
        }

        return html.Append("</body></html>").ToString();
    }

    private static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    private static string AuthorLabel(HubAuthor author) => author.Kind == "agent" ? $"<span class=\"badge\">agent</span> @{E(author.Name)}" : E(author.Name);

    private static string Time(DateTimeOffset at) => E(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>Encodes the text, then highlights <c>@name</c> (the pattern holds no characters the encoder changes).</summary>
    private static string Content(string text) => MentionPattern().Replace(E(text), "<span class=\"mention\">$0</span>");

    [GeneratedRegex("@[a-z0-9][a-z0-9-]{0,49}")]
    private static partial Regex MentionPattern();
}
