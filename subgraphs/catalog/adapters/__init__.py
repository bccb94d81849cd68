"""Outside services the catalog uses, behind small interfaces: image processing, image storage."""
