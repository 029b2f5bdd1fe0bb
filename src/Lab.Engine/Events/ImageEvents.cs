using Lab.Engine.Images;

namespace Lab.Engine.Events;

/// <summary>Image events as dockerd logs them (daemon/images/image_events.go): the actor is the image (its id,
/// or for pull and push the reference), with the image's labels and a <c>name</c> attribute.</summary>
public static class ImageEvents
{
    /// <summary>One image event: <paramref name="action"/> is pull, push, tag, untag, delete, load, save, import.</summary>
    public static void Image(this EngineEvents events, string machine, string action, string actorId, string? name,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        var attributes = new Dictionary<string, string>(labels ?? new Dictionary<string, string>());
        if (!string.IsNullOrEmpty(name)) attributes["name"] = name;
        events.Publish(machine, EventTypes.Image, action, actorId, attributes);
    }

    /// <summary>The events of an rmi or prune answer: an untag per name removed and a delete per image gone,
    /// each with the image's id as dockerd logs them. Untagged lines precede their image's Deleted line; those
    /// left at the end (names removed, image kept) belong to <paramref name="image"/>.</summary>
    public static void Deletions(this EngineEvents events, string machine, IEnumerable<DeleteRecord> records, EngineImage? image)
    {
        var pending = 0;
        foreach (var record in records)
        {
            if (record.Untagged is not null) pending++;
            if (record.Deleted is not { } id || record.IsLayer) continue; // dockerd has no event for a layer
            Flush(id);
            events.Image(machine, "delete", id, id);
        }
        if (image is not null) Flush(image.Id.ToString());

        void Flush(string id)
        {
            for (; pending > 0; pending--) events.Image(machine, "untag", id, id);
        }
    }
}
