package cache

// entry is one cached value and its place in the recency order. The links
// live in the entry itself so that an entry costs one allocation.
type entry struct {
	key        string
	value      []byte
	size       int64
	expires    int64 // Unix nanoseconds
	prev, next *entry
}

// lruList is a circular doubly linked list of entries around a sentinel:
// root.next is the most recently used entry and root.prev the least.
type lruList struct {
	root entry
}

func (l *lruList) init() {
	l.root.next = &l.root
	l.root.prev = &l.root
}

func (l *lruList) pushFront(e *entry) {
	e.prev = &l.root
	e.next = l.root.next
	l.root.next.prev = e
	l.root.next = e
}

func (l *lruList) unlink(e *entry) {
	e.prev.next = e.next
	e.next.prev = e.prev
	e.prev, e.next = nil, nil
}

func (l *lruList) moveToFront(e *entry) {
	if l.root.next == e {
		return
	}

	l.unlink(e)
	l.pushFront(e)
}

// back returns the least recently used entry, or nil when the list is
// empty.
func (l *lruList) back() *entry {
	if l.root.prev == &l.root {
		return nil
	}

	return l.root.prev
}
