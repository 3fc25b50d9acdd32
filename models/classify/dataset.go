package classify

// dataset is a training matrix in compressed sparse rows: the features of
// example i are col[ptr[i]:ptr[i+1]] with values val[...], in row space.
type dataset struct {
	ptr []int32
	col []int32
	val []float32
	y   []int32
}

// newDataset vectorises docs with v, their dense channel after the
// vocabulary's rows; y are the class indices.
func newDataset(v *vocab, docs []rawDoc, y []int32) *dataset {
	d := &dataset{ptr: make([]int32, 1, len(docs)+1), y: y}
	for _, doc := range docs {
		for _, f := range appendDense(v.vector(doc), len(v.buckets), doc.dense) {
			d.col = append(d.col, f.Index)
			d.val = append(d.val, f.Value)
		}
		d.ptr = append(d.ptr, int32(len(d.col)))
	}
	return d
}

// len is the number of examples.
func (d *dataset) len() int { return len(d.y) }

// row returns the columns and values of example i.
func (d *dataset) row(i int) ([]int32, []float32) {
	lo, hi := d.ptr[i], d.ptr[i+1]
	return d.col[lo:hi], d.val[lo:hi]
}
